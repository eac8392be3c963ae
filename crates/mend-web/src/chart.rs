//! The trust chart of the check-ins, as SVG coordinates for its template. It draws the latest
//! scores only, read without their notes, so it costs the same after two years of check-ins.

use mend_core::check_in::chart_points;
use mend_core::store::BreachRecord;
use mend_core::{Timestamp, Trust};

use crate::error::WebError;
use crate::state::AppState;
use crate::views::Chart;
use crate::when::LocalClock;

/// The drawing area of the chart, inside its margins, in SVG units.
const PLOT_WIDTH: f64 = 560.0;
const PLOT_HEIGHT: f64 = 200.0;
const LEFT: f64 = 40.0;
const TOP: f64 = 16.0;

/// How many of the latest check-ins the chart draws: three months of daily ones, which still
/// reads as a line on a phone.
pub const CHART_POINTS: usize = 90;

/// The scores the chart draws, oldest first, and whether there are earlier ones it leaves out.
pub struct TrustScores {
    pub points: Vec<(Timestamp, Trust)>,
    pub earlier: bool,
}

impl TrustScores {
    /// The latest scores of the journey: one more than the chart draws is read, only to know
    /// whether earlier ones exist.
    pub async fn latest(state: &AppState, breach: &BreachRecord) -> Result<Self, WebError> {
        let mut points = state
            .store
            .latest_trust(breach.id, CHART_POINTS + 1)
            .await?;
        let earlier = points.len() > CHART_POINTS;
        if earlier {
            points.remove(0);
        }
        Ok(TrustScores { points, earlier })
    }

    /// When the latest check-in was made, if any.
    pub fn last_at(&self) -> Option<Timestamp> {
        self.points.last().map(|(at, _)| *at)
    }

    pub fn chart(&self, clock: &LocalClock) -> Option<Chart> {
        let points = chart_points(&self.points, PLOT_WIDTH, PLOT_HEIGHT);
        let (first, last) = (self.points.first()?, self.points.last()?);
        let dots: Vec<(String, String)> = points
            .iter()
            .map(|(x, y)| (format!("{:.1}", x + LEFT), format!("{:.1}", y + TOP)))
            .collect();
        Some(Chart {
            line: dots
                .iter()
                .map(|(x, y)| format!("{x},{y}"))
                .collect::<Vec<_>>()
                .join(" "),
            dots,
            first: clock.at(first.0),
            last: clock.at(last.0),
            count: self.points.len().to_string(),
            latest_only: self.earlier,
        })
    }
}
