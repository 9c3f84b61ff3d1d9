/**
 * domain/device-clients.ts's rule in SQL, negated: a `clients` row that is NOT a device. Not a
 * device template, and grants that are not only client_credentials / the device code (with
 * refresh tokens): what remains of the grants array's JSON text once those are taken out must be
 * brackets and commas for a device. Scalar functions only, so the expression can define a partial
 * index (migration 4's clients_not_devices), which lets the dashboard count active devices as
 * all active clients minus the few active non-devices (sign-in apps), instead of looking up
 * every active client's settings (150 ms at 100,000 active devices).
 *
 * Frozen: the index is built on exactly this text, and a query reaches it (INDEXED BY) only
 * with the same terms. Changing the rule takes a new migration that drops and recreates the index.
 */
const GRANTS = "coalesce(json_extract(settings, '$.allowedGrantTypes'), '[]')";
export const NOT_DEVICE_SQL = `coalesce(template, '') NOT IN ('device-secret', 'device-key', 'device-input')
    AND NOT ((instr(${GRANTS}, '"client_credentials"') > 0 OR instr(${GRANTS}, '"urn:ietf:params:oauth:grant-type:device_code"') > 0)
      AND trim(replace(replace(replace(${GRANTS}, '"client_credentials"', ''), '"urn:ietf:params:oauth:grant-type:device_code"', ''), '"refresh_token"', ''), '[],') = '')`;
