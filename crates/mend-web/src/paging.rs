//! Long lists a window at a time on the web: the `?before=` of a link, and the links to the
//! older window and back to the newest, which work without JavaScript.

use mend_core::{Cursor, Window, WindowAsk};
use serde::Deserialize;

/// `?before=<cursor>`: which window of a list to show; none is the newest. A cursor that does
/// not parse is a malformed request (the query extractor's "bad request" page).
#[derive(Deserialize, Default)]
pub struct WindowQuery {
    pub before: Option<Cursor>,
}

impl WindowQuery {
    /// The window of `size` items this query asks for.
    pub fn ask(&self, size: usize) -> WindowAsk {
        WindowAsk::before(self.before, size)
    }
}

/// The links under a window: to the older items, and back to the newest when this is not it.
#[derive(Default)]
pub struct Pager {
    pub older: Option<String>,
    pub newest: Option<String>,
}

impl Pager {
    /// The links for `window` of the list at `href` (which may carry its own query, such as
    /// the timeline's area): `href` itself is the newest window.
    pub fn of<T>(href: &str, ask: WindowAsk, window: &Window<T>) -> Pager {
        let join = if href.contains('?') { '&' } else { '?' };
        Pager {
            older: window
                .older
                .map(|cursor| format!("{href}{join}before={cursor}")),
            newest: (!ask.is_newest()).then(|| href.to_owned()),
        }
    }

    /// Whether there is a link to show.
    pub fn any(&self) -> bool {
        self.older.is_some() || self.newest.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mend_core::Timestamp;
    use uuid::Uuid;

    fn window(older: Option<Cursor>) -> Window<()> {
        Window {
            items: vec![()],
            older,
        }
    }

    #[test]
    fn the_newest_window_links_only_to_older_items() {
        let cursor = Cursor::new(Timestamp(5), Uuid::from_u128(1));
        let pager = Pager::of("/j/questions", WindowAsk::newest(2), &window(Some(cursor)));
        assert_eq!(
            pager.older.as_deref(),
            Some(format!("/j/questions?before={cursor}").as_str())
        );
        assert_eq!(pager.newest, None);
    }

    #[test]
    fn an_older_window_links_back_and_keeps_the_pages_own_query() {
        let cursor = Cursor::new(Timestamp(5), Uuid::from_u128(1));
        let ask = WindowAsk::before(Some(cursor), 2);
        let pager = Pager::of("/j/timeline?area=questions", ask, &window(None));
        assert_eq!(pager.older, None);
        assert_eq!(pager.newest.as_deref(), Some("/j/timeline?area=questions"));
        assert!(pager.any());
        assert!(!Pager::of("/j", WindowAsk::newest(2), &window(None)).any());
    }
}
