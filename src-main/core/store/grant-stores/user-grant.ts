/**
 * What a user granted a client in one sign-in; carried by authorization codes and refresh
 * tokens, and from them into every token issued.
 */
export interface UserGrant {
  subject: string;
  sid: string;
  authTime: number;
  amr: string[];
  scopes: string[];
}
