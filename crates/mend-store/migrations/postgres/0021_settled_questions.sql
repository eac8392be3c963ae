-- When a question stopped waiting (issue 13): the time of its latest answer that was not
-- asked to be fuller, or of its withdrawal; NULL while it waits for an answer. The questions
-- page reads the waiting ones and a window of the settled ones by this column alone, so its
-- cost does not grow with the hundreds of questions a long journey holds. Every write to a
-- question or its answers sets it again in the same transaction.
ALTER TABLE questions ADD COLUMN settled_at BIGINT;

UPDATE questions SET settled_at = CASE
    WHEN withdrawn_at IS NOT NULL THEN withdrawn_at
    ELSE (SELECT MAX(a.created_at) FROM answers a
          WHERE a.question_id = questions.id AND a.withdrawn_at IS NULL
            AND (a.response IS NULL OR a.response <> 'need_more'))
END;

CREATE INDEX questions_waiting ON questions(breach_id, created_at, id) WHERE settled_at IS NULL;
CREATE INDEX questions_settled ON questions(breach_id, settled_at, id) WHERE settled_at IS NOT NULL;
