//! Long lists shown a window at a time, so that a page costs what it shows and not what a
//! couple has written over two years.
//!
//! A window holds the newest items before a [`Cursor`]; the store fetches one row more than
//! the window's size, and that row only says that an older window exists. Cursors are the
//! position (time, id) of the oldest item shown, so a window never skips or repeats an item
//! when something new is written meanwhile.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

use crate::time::Timestamp;

/// The position of an item in a list ordered by time, then id: a window starts just before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cursor {
    pub at: Timestamp,
    pub id: Uuid,
}

impl Cursor {
    /// After every item: the window that starts here is the newest.
    pub const NEWEST: Cursor = Cursor {
        at: Timestamp(i64::MAX),
        id: Uuid::max(),
    };

    pub fn new(at: Timestamp, id: Uuid) -> Self {
        Cursor { at, id }
    }
}

/// Written `<milliseconds>_<uuid>` in links, so a cursor survives being a query parameter.
impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.at.0, self.id)
    }
}

/// A cursor in a link that does not read as one: the request is malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a position in a list")]
pub struct NotACursor;

impl FromStr for Cursor {
    type Err = NotACursor;

    fn from_str(s: &str) -> Result<Self, NotACursor> {
        let (at, id) = s.split_once('_').ok_or(NotACursor)?;
        let at: i64 = at.parse().map_err(|_| NotACursor)?;
        if at < 0 {
            return Err(NotACursor);
        }
        let id = Uuid::parse_str(id).map_err(|_| NotACursor)?;
        Ok(Cursor::new(Timestamp(at), id))
    }
}

impl<'de> serde::Deserialize<'de> for Cursor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Which window of a list to read: at most `size` items, the newest before `before`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WindowAsk {
    pub before: Cursor,
    pub size: usize,
}

impl WindowAsk {
    /// The newest `size` items.
    pub fn newest(size: usize) -> Self {
        WindowAsk {
            before: Cursor::NEWEST,
            size,
        }
    }

    /// The `size` items before `before`, or the newest when there is no cursor.
    pub fn before(before: Option<Cursor>, size: usize) -> Self {
        WindowAsk {
            before: before.unwrap_or(Cursor::NEWEST),
            size,
        }
    }

    /// How many rows the store fetches: one more than the window, to know if more exist.
    pub fn rows_to_fetch(&self) -> i64 {
        i64::try_from(self.size).unwrap_or(i64::MAX - 1) + 1
    }

    /// Whether this is the newest window (no cursor was given).
    pub fn is_newest(&self) -> bool {
        self.before == Cursor::NEWEST
    }
}

/// One window of a list, newest first, and where the next older window starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window<T> {
    pub items: Vec<T>,
    /// The cursor of the older window, when there is one.
    pub older: Option<Cursor>,
}

impl<T> Window<T> {
    /// A window from rows fetched newest first, up to [`WindowAsk::rows_to_fetch`] of them:
    /// a row beyond the window's size is dropped and only marks that older items exist.
    pub fn of(mut rows: Vec<T>, ask: WindowAsk, position: impl Fn(&T) -> Cursor) -> Self {
        if rows.len() > ask.size {
            rows.truncate(ask.size);
            let older = rows.last().map(&position);
            Window { items: rows, older }
        } else {
            Window {
                items: rows,
                older: None,
            }
        }
    }

    /// The same window with each item changed, for turning records into views.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Window<U> {
        Window {
            items: self.items.into_iter().map(f).collect(),
            older: self.older,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64, n: u128) -> Cursor {
        Cursor::new(Timestamp(ms), Uuid::from_u128(n))
    }

    #[test]
    fn a_cursor_reads_back_what_it_writes() {
        let c = at(1_733_100_000_000, 42);
        assert_eq!(c.to_string().parse::<Cursor>(), Ok(c));
    }

    #[test]
    fn malformed_cursors_are_refused() {
        for bad in [
            "",
            "_",
            "12",
            "x_00000000-0000-0000-0000-000000000001",
            "-5_00000000-0000-0000-0000-000000000001",
            "12_not-a-uuid",
            "12_00000000-0000-0000-0000-000000000001_9",
        ] {
            assert_eq!(bad.parse::<Cursor>(), Err(NotACursor), "{bad}");
        }
    }

    #[test]
    fn the_newest_cursor_comes_after_every_item() {
        assert!(at(i64::MAX - 1, u128::MAX) < Cursor::NEWEST);
        assert!(at(i64::MAX, u128::MAX - 1) < Cursor::NEWEST);
    }

    #[test]
    fn the_extra_row_only_says_an_older_window_exists() {
        let ask = WindowAsk::newest(2);
        assert_eq!(ask.rows_to_fetch(), 3);
        let rows = vec![at(30, 3), at(20, 2), at(10, 1)];
        let window = Window::of(rows, ask, |c| *c);
        assert_eq!(window.items, vec![at(30, 3), at(20, 2)]);
        assert_eq!(window.older, Some(at(20, 2)));
    }

    #[test]
    fn a_window_that_holds_the_rest_has_no_older_one() {
        let ask = WindowAsk::before(Some(at(20, 2)), 2);
        let window = Window::of(vec![at(10, 1)], ask, |c| *c);
        assert_eq!(window.items, vec![at(10, 1)]);
        assert_eq!(window.older, None);
        assert!(!ask.is_newest());
        let exact = Window::of(vec![at(10, 1), at(5, 0)], ask, |c| *c);
        assert_eq!(exact.older, None);
    }
}
