import { tick } from 'svelte';

/**
 * Puts keyboard focus on the page's heading once the DOM has updated: after a navigation, or
 * when a step replaces the form whose button had focus (which would otherwise drop to <body>).
 */
export function focusHeading(): void {
  tick().then(() => document.querySelector<HTMLElement>('main h1')?.focus());
}
