-- SetMembership gives a user a role in a unit, replacing any role it had there.
-- name: SetMembership :one
INSERT INTO memberships (unit_id, user_id, role)
VALUES ($1, $2, $3)
ON CONFLICT (unit_id, user_id) DO UPDATE SET role = EXCLUDED.role
RETURNING unit_id, user_id, role;

-- RemoveMembership takes a user out of a unit.
-- name: RemoveMembership :execrows
DELETE FROM memberships WHERE unit_id = $1 AND user_id = $2;

-- MembersOfUnit returns a unit's memberships by role and user.
-- name: MembersOfUnit :many
SELECT unit_id, user_id, role
FROM memberships
WHERE unit_id = $1
ORDER BY role, user_id;

-- MembershipsOfUsers returns the memberships of the given users.
-- name: MembershipsOfUsers :many
SELECT unit_id, user_id, role
FROM memberships
WHERE user_id = ANY(@user_ids::uuid[])
ORDER BY user_id, role, unit_id;

-- HoldsRoleAbove reports whether a user holds role in the unit or any unit above it.
-- name: HoldsRoleAbove :one
WITH RECURSIVE up AS (
    SELECT u.id, u.parent_id FROM units u WHERE u.id = @unit_id
  UNION ALL
    SELECT p.id, p.parent_id FROM units p JOIN up ON p.id = up.parent_id
)
SELECT EXISTS (
    SELECT 1 FROM memberships m JOIN up ON m.unit_id = up.id
    WHERE m.user_id = @user_id AND m.role = @role
)::bool;
