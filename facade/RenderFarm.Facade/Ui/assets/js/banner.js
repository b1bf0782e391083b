import { ApiError } from './api.js';
import { replace } from './dom.js';

let onUnauthorized = () => {};

export function whenUnauthorized(handler) { onUnauthorized = handler; }

// Shows an error (its reason, message and field for API errors) in the banner; null hides it.
export function showError(error) {
  const banner = document.getElementById('banner');
  if (!error) { banner.hidden = true; banner.replaceChildren(); return; }
  replace(banner, error instanceof ApiError ? error.describe() : String(error.message ?? error));
  banner.hidden = false;
  if (error instanceof ApiError && error.status === 401) onUnauthorized();
}
