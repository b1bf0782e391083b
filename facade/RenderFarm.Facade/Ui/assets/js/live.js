import { showError } from './banner.js';

// Repeats a refresh while its page is shown; errors go to the banner and the loop goes on.
export function every(ms, refresh) {
  let timer = null;
  let stopped = false;
  const tick = async () => {
    try {
      await refresh();
    } catch (e) {
      showError(e);
    }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  tick();
  return () => { stopped = true; clearTimeout(timer); };
}
