-- Questions the hurt partner asks within a journey, and their answers. Asking again links to
-- the earlier ask. Nothing here lets a question be refused or closed; an answer request "in
-- person" keeps it open with a note. Texts are sealed with the space key; a withdrawn answer
-- or question keeps its row and date but not its text.
CREATE TABLE questions (
    id BLOB PRIMARY KEY NOT NULL,
    breach_id BLOB NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    asked_by BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    text_sealed BLOB,
    kind TEXT,
    asked_again_of BLOB REFERENCES questions(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    in_person_at INTEGER,
    withdrawn_at INTEGER
);
CREATE INDEX questions_by_breach ON questions(breach_id, created_at);

CREATE TABLE answers (
    id BLOB PRIMARY KEY NOT NULL,
    question_id BLOB NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    author BLOB NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    body_sealed BLOB,
    created_at INTEGER NOT NULL,
    withdrawn_at INTEGER,
    response TEXT CHECK (response IN ('helps', 'need_more', 'later')),
    responded_at INTEGER
);
CREATE INDEX answers_by_question ON answers(question_id, created_at);
