import { mount } from 'svelte';
import { z } from 'zod';
import App from './App.svelte';
import './styles/global.css';

// The server's schemas run here too; say "enter a number" rather than zod's type jargon
// when a number field holds text.
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.expected === 'number' ? 'enter a number' : undefined),
});

mount(App, { target: document.getElementById('app') as HTMLElement });
