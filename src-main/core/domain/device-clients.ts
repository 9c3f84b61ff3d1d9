/**
 * Which clients the dashboard counts as devices (active, stale): those made from a device
 * template (device-secret, device-key, device-input), and any other client whose grants get tokens
 * without a person signing in to it: only client_credentials or the device code (refresh tokens
 * may come with the device code). A sign-in app (authorization code, implicit, hybrid) is not a
 * device, whatever tokens it gets. A service has only client_credentials, so it counts: its
 * grants cannot tell it from a device. The SQL form is store/device-clients-sql.ts.
 */
export const DEVICE_RULE = 'Devices: clients of a device template, or with only client_credentials or device-code grants';
