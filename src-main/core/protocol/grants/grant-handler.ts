import type { IdpContext } from '../../context';
import type { GrantType } from '../../domain';
import type { CatalogClient } from '../../runtime/client-catalog';
import type { RequestParams } from '../request-params';

/** RFC 6749 §5.1 successful response, in wire names. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope?: string;
  id_token?: string;
  refresh_token?: string;
}

export interface GrantRequest {
  ctx: IdpContext;
  client: CatalogClient;
  /** Only the parameters the grant declared. */
  params: RequestParams;
}

/** One grant type as a plug-in: its name, the parameters it reads, and validate → issue. */
export interface GrantHandler {
  grantType: GrantType;
  /** The client grant types that permit this grant at the token endpoint (Duende: `hybrid` redeems codes too). */
  permittedBy: readonly GrantType[];
  parameters: ReadonlySet<string>;
  handle(request: GrantRequest): TokenResponse | Promise<TokenResponse>;
}
