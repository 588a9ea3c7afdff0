-- The backend a resumable upload on parts began on (decision 0070): its parts live in that backend's part upload,
-- so a reload that changes the primary must not move the session's later chunks, its completion or its abort to the
-- new one. NULL (sessions begun before this migration, whose primary then SQL cannot know) means the current
-- primary, as before.
ALTER TABLE upload_sessions ADD COLUMN backend TEXT;
