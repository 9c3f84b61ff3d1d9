import { api } from './api';
import { loadScopeOptions, type ScopeOption } from './scopes';
import type { Template } from './types';

/** What a batch of devices is made from: the templates for machines, and the scopes to offer. */
export interface DeviceChoices {
  templates: Template[];
  scopeOptions: ScopeOption[];
}

export async function loadDeviceChoices(): Promise<DeviceChoices> {
  const [all, scopeOptions] = await Promise.all([api.templates(), loadScopeOptions()]);
  // People's apps are registered one by one; batches are for machines.
  return { templates: all.filter((t) => t.redirectUris === 'none'), scopeOptions };
}
