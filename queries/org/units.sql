-- CreateUnit inserts a unit under parent_id (NULL for a root).
-- name: CreateUnit :one
INSERT INTO units (id, parent_id, kind, name)
VALUES ($1, $2, $3, $4)
RETURNING *;

-- UnitsByIDs returns the units among ids, in no particular order.
-- name: UnitsByIDs :many
SELECT *
FROM units
WHERE id = ANY(@ids::uuid[]);

-- Roots returns the units without a parent, by name.
-- name: Roots :many
SELECT *
FROM units
WHERE parent_id IS NULL
ORDER BY name, id;

-- Children returns the direct children of a unit, by name.
-- name: Children :many
SELECT *
FROM units
WHERE parent_id = $1
ORDER BY name, id;

-- Ancestors returns the units above a unit, from the root down to its parent.
-- name: Ancestors :many
WITH RECURSIVE up AS (
    SELECT u.id, u.parent_id, u.kind, u.name, 0 AS depth
    FROM units u
    WHERE u.id = (SELECT s.parent_id FROM units s WHERE s.id = @id)
  UNION ALL
    SELECT p.id, p.parent_id, p.kind, p.name, up.depth + 1
    FROM units p
    JOIN up ON p.id = up.parent_id
)
SELECT id, parent_id, kind, name
FROM up
ORDER BY depth DESC;

-- Subtree returns a unit and every unit below it down to max_depth levels (the unit itself
-- is level 0), each with its level, in depth-first order by name.
-- name: Subtree :many
WITH RECURSIVE down AS (
    SELECT u.id, u.parent_id, u.kind, u.name, 0 AS depth, ARRAY[u.name, u.id::text] AS path
    FROM units u
    WHERE u.id = @id
  UNION ALL
    SELECT c.id, c.parent_id, c.kind, c.name, down.depth + 1,
           down.path || ARRAY[c.name, c.id::text]
    FROM units c
    JOIN down ON c.parent_id = down.id
    WHERE down.depth < @max_depth::int
)
SELECT id, parent_id, kind, name, depth::int AS depth
FROM down
ORDER BY path;

-- IsInSubtree reports whether candidate is the unit root or lies below it.
-- name: IsInSubtree :one
WITH RECURSIVE down AS (
    SELECT u.id FROM units u WHERE u.id = @root
  UNION
    SELECT c.id FROM units c JOIN down ON c.parent_id = down.id
)
SELECT (count(*) > 0)::bool AS below FROM down WHERE down.id = @candidate::uuid;

-- LockTree serialises changes of the tree's shape for the rest of the transaction, so two
-- concurrent moves cannot create a cycle together.
-- name: LockTree :exec
SELECT pg_advisory_xact_lock(hashtext('org.units.tree'));

-- MoveUnit changes a unit's parent.
-- name: MoveUnit :execrows
UPDATE units SET parent_id = @parent_id WHERE id = @id;

-- CountUnits returns how many units exist; demo data loads only into an empty tree.
-- name: CountUnits :one
SELECT count(*) FROM units;
