//! Unread markers: what the partner wrote after the viewer last opened a part of a journey.

use mend_core::Timestamp;

/// Whether something changed after the viewer's last visit (everything is new on the first).
pub fn is_new(changed_at: Timestamp, last_seen: Option<Timestamp>) -> bool {
    last_seen.is_none_or(|seen| changed_at > seen)
}
