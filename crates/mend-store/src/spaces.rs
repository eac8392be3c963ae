//! Spaces, their two seats, and invitations.

use async_trait::async_trait;
use mend_core::store::{InviteRecord, LookupHash, Membership, NewInvite, SpaceRecord, SpaceStore};
use mend_core::{InviteId, PersonId, Seat, SpaceId, StoreError, Timestamp};
use mend_crypto::{Sealed, WrappedKey};
use uuid::Uuid;

use crate::db::Db;

#[derive(sqlx::FromRow)]
struct MembershipRow {
    space_id: Uuid,
    person_id: Uuid,
    seat: i64,
    joined_at: i64,
}

impl TryFrom<MembershipRow> for Membership {
    type Error = StoreError;
    fn try_from(r: MembershipRow) -> Result<Self, StoreError> {
        membership(r.space_id, r.person_id, r.seat, r.joined_at)
    }
}

/// A membership from its stored columns, wherever they were read.
pub(crate) fn membership(
    space: Uuid,
    person: Uuid,
    seat: i64,
    joined_at: i64,
) -> Result<Membership, StoreError> {
    Ok(Membership {
        space: SpaceId(space),
        person: PersonId(person),
        seat: Seat::from_number(seat)
            .ok_or_else(|| StoreError::Corrupt(format!("seat {seat} in a membership")))?,
        joined_at: Timestamp(joined_at),
    })
}

#[derive(sqlx::FromRow)]
struct InviteRow {
    id: Uuid,
    space_id: Uuid,
    created_by: Uuid,
    code_sealed: Vec<u8>,
    created_at: i64,
    expires_at: i64,
    used_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl From<InviteRow> for InviteRecord {
    fn from(r: InviteRow) -> Self {
        InviteRecord {
            id: InviteId(r.id),
            space: SpaceId(r.space_id),
            created_by: PersonId(r.created_by),
            code: Sealed::from_stored(r.code_sealed),
            created_at: Timestamp(r.created_at),
            expires_at: Timestamp(r.expires_at),
            used_at: r.used_at.map(Timestamp),
            revoked_at: r.revoked_at.map(Timestamp),
        }
    }
}

const INVITE_COLUMNS: &str =
    "id, space_id, created_by, code_sealed, created_at, expires_at, used_at, revoked_at";

/// Turns any conflict taking a seat reports into `what`: the schema's uniqueness rules on
/// seats and people are the only ones such a write can break.
fn seat_conflict(what: &'static str) -> impl Fn(StoreError) -> StoreError {
    move |e| match e {
        StoreError::Conflict(_) => StoreError::Conflict(what),
        other => other,
    }
}

#[async_trait]
impl SpaceStore for Db {
    async fn create_space(&self, space: SpaceRecord, creator: PersonId) -> Result<(), StoreError> {
        transaction!(self, tx => {
            execute!(on &mut *tx,
                "INSERT INTO spaces (id, wrapped_key, created_at, authors_sealed_at) \
                 VALUES ($1, $2, $3, $3)",
                space.id.0, space.wrapped_key.0.as_bytes(), space.created_at.0)?;
            execute!(on &mut *tx,
                "INSERT INTO memberships (space_id, person_id, seat, joined_at) \
                 VALUES ($1, $2, $3, $4)",
                space.id.0, creator.0, Seat::Creator.number(), space.created_at.0)
            .map_err(seat_conflict("this person already belongs to a space"))?;
        })
    }

    async fn space(&self, id: SpaceId) -> Result<Option<SpaceRecord>, StoreError> {
        let row: Option<(Uuid, Vec<u8>, i64)> = fetch_optional!(
            self,
            "SELECT id, wrapped_key, created_at FROM spaces WHERE id = $1",
            id.0
        )?;
        Ok(row.map(|(id, key, created_at)| SpaceRecord {
            id: SpaceId(id),
            wrapped_key: WrappedKey(Sealed::from_stored(key)),
            created_at: Timestamp(created_at),
        }))
    }

    async fn membership_of(&self, person: PersonId) -> Result<Option<Membership>, StoreError> {
        let row: Option<MembershipRow> = fetch_optional!(
            self,
            "SELECT space_id, person_id, seat, joined_at FROM memberships WHERE person_id = $1",
            person.0
        )?;
        row.map(Membership::try_from).transpose()
    }

    async fn members(&self, space: SpaceId) -> Result<Vec<Membership>, StoreError> {
        let rows: Vec<MembershipRow> = fetch_all!(
            self,
            "SELECT space_id, person_id, seat, joined_at FROM memberships WHERE space_id = $1 \
             ORDER BY seat",
            space.0
        )?;
        rows.into_iter().map(Membership::try_from).collect()
    }

    async fn create_invite(&self, i: NewInvite) -> Result<(), StoreError> {
        // Only in a space no partner has left (see `Db::for_share`).
        let sql = format!(
            "INSERT INTO invites (id, space_id, created_by, code_lookup, code_sealed, created_at, \
             expires_at) SELECT $1, $2, $3, $4, $5, $6, $7 WHERE {}",
            self.space_open("$2")
        );
        let stored = execute!(
            self,
            &sql,
            i.id.0,
            i.space.0,
            i.created_by.0,
            i.code_lookup.as_slice(),
            i.code.as_bytes(),
            i.created_at.0,
            i.expires_at.0,
        )?;
        if stored == 0 {
            return Err(StoreError::Conflict("a partner has left the space"));
        }
        Ok(())
    }

    async fn invite_by_code(&self, code: &LookupHash) -> Result<Option<InviteRecord>, StoreError> {
        let sql = format!("SELECT {INVITE_COLUMNS} FROM invites WHERE code_lookup = $1");
        let row: Option<InviteRow> = fetch_optional!(self, &sql, code.as_slice())?;
        Ok(row.map(Into::into))
    }

    async fn open_invites(
        &self,
        space: SpaceId,
        now: Timestamp,
    ) -> Result<Vec<InviteRecord>, StoreError> {
        let sql = format!(
            "SELECT {INVITE_COLUMNS} FROM invites WHERE space_id = $1 AND used_at IS NULL \
             AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at"
        );
        let rows: Vec<InviteRow> = fetch_all!(self, &sql, space.0, now.0)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn revoke_invite(
        &self,
        space: SpaceId,
        invite: InviteId,
        by: PersonId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = execute!(self,
            "UPDATE invites SET revoked_at = $1 WHERE id = $2 AND space_id = $3 AND created_by = $4 \
             AND used_at IS NULL AND revoked_at IS NULL",
            at.0, invite.0, space.0, by.0)?;
        Ok(done == 1)
    }

    async fn accept_invite(
        &self,
        invite: InviteId,
        person: PersonId,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        // The write comes first so that SQLite takes its write lock at once and waits for
        // other writers, instead of failing on a lock upgrade after a read.
        transaction!(self, tx => {
            let space: Option<Uuid> = fetch_optional!(scalar on &mut *tx,
                "UPDATE invites SET used_at = $1, used_by = $2 WHERE id = $3 AND used_at IS NULL \
                 AND revoked_at IS NULL AND expires_at > $1 \
                 AND space_id IN (SELECT id FROM spaces WHERE departed_at IS NULL) \
                 RETURNING space_id",
                at.0, person.0, invite.0)?;
            let space = space.ok_or(StoreError::Conflict("the invitation is no longer open"))?;
            execute!(on &mut *tx,
                "INSERT INTO memberships (space_id, person_id, seat, joined_at) \
                 VALUES ($1, $2, $3, $4)",
                space, person.0, Seat::Joiner.number(), at.0)
            .map_err(seat_conflict("the space is full or the person already has a space"))?;
        })
    }
}
