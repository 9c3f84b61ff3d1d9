export type { UserGrant } from '../store/grant-stores';
