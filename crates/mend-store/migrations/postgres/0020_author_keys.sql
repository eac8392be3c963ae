-- Author keys (issue 11): what a partner writes for both to read is sealed with their own key
-- for the space, not the space key. The departure deletes it with their rows, so once no copy
-- of it is left, their shared words cannot be opened in any backup either, while the partner
-- who stays keeps theirs. Wrapped by the server key and bound to the space and the author.
CREATE TABLE author_keys (
    space_id UUID NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    person_id UUID NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    wrapped_key BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (space_id, person_id)
);

-- When the space's texts sealed before author keys existed were moved to their authors' keys
-- (by `mend serve` as it starts); NULL until then. A new space starts with it set.
ALTER TABLE spaces ADD COLUMN authors_sealed_at BIGINT;
