-- Course codes are unique whatever their case: lms now stores them upper-cased, and this
-- index refuses a code that differs from a stored one only in case, even one written before.
-- On a database that already holds such a pair the migration fails, naming the duplicate
-- key, and changes nothing; rename one of the two courses, then migrate again.
CREATE UNIQUE INDEX courses_code_upper_key ON courses (upper(code));

-- With the index in place upper-casing cannot make two codes equal.
UPDATE courses SET code = upper(code) WHERE code <> upper(code);
