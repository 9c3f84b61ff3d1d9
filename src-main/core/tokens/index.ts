export { AccessTokenService, type AccessTokenRequest, type IssuedAccessToken, ACCESS_TOKEN_JWT_TYPE } from './access-token';
export { TokenInspector, type ActiveToken } from './token-inspector';
