/* global document */
// Applies the saved theme before the first paint, so a dark-mode user never sees a white flash.
// A separate file (not inline) so a strict Content-Security-Policy can forbid inline scripts.
try {
  const saved = localStorage.getItem('netlab.theme');
  if (saved === 'light' || saved === 'dark') document.documentElement.dataset.theme = saved;
} catch {
  /* storage disabled: follow the system */
}
