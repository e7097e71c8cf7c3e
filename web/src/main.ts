// The browser UI arrives with the server issue (React + xterm.js); this keeps the build honest meanwhile.
const root = document.getElementById('app');
if (root) root.textContent = 'netlab';
