//! The trust chart of the check-ins, as SVG coordinates for its template.

use mend_core::check_in::chart_points;
use mend_core::store::CheckInRecord;

use crate::views::Chart;
use crate::when::LocalClock;

/// The drawing area of the chart, inside its margins, in SVG units.
const PLOT_WIDTH: f64 = 560.0;
const PLOT_HEIGHT: f64 = 200.0;
const LEFT: f64 = 40.0;
const TOP: f64 = 16.0;

pub fn chart(check_ins: &[CheckInRecord], clock: &LocalClock) -> Option<Chart> {
    let data: Vec<_> = check_ins.iter().map(|c| (c.created_at, c.trust)).collect();
    let points = chart_points(&data, PLOT_WIDTH, PLOT_HEIGHT);
    let (first, last) = (check_ins.first()?, check_ins.last()?);
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
        first: clock.at(first.created_at),
        last: clock.at(last.created_at),
        count: check_ins.len().to_string(),
    })
}
