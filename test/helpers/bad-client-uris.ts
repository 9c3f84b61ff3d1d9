/**
 * Redirect URIs no client may register (issue 10, item 9), each with what the operator is told.
 * Shared by the validator's unit test and the tests of every way a client is saved.
 */
export const BAD_REDIRECT_URIS: ReadonlyArray<readonly [uri: string, message: RegExp]> = [
  ['javascript:alert(document.domain)', /javascript: scheme/],
  ['data:text/html,<script>alert(1)</script>', /data: scheme/],
  ['vbscript:msgbox(1)', /vbscript: scheme/],
  ['file:///etc/passwd', /file: scheme/],
  ['https://user:pw@app.example/cb', /user name or password/],
  ['https://trusted.example@evil.example/cb', /user name or password/],
  ['https://app.example/cb#frag', /fragment/],
];

/** Logout URIs (front-channel, back-channel, post-logout redirect) are http(s) only. */
export const BAD_LOGOUT_URIS: ReadonlyArray<readonly [uri: string, message: RegExp]> = [
  ['ftp://x', /http or https/],
  ['com.example.app:/signed-out', /http or https/],
  ...BAD_REDIRECT_URIS,
];
