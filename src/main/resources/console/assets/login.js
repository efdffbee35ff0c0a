'use strict';
// The login form sends the CSRF token the page's GET set as a cookie, and says why the last attempt failed.
document.addEventListener('DOMContentLoaded', () => {
  const m = document.cookie.match(/(?:^|; )XSRF-TOKEN=([^;]*)/);
  document.getElementById('csrf').value = m ? decodeURIComponent(m[1]) : '';
  const q = new URLSearchParams(location.search);
  const why = {
    wrong: 'Wrong user name or password.',
    missing: 'Give a user name and a password.',
    'no-users': 'No user is configured: add ferry.users.<name>.password-hash (from `ferry hash-password`) and .role.',
    throttled: 'Too many failed logins: try again in ' + (/^\d{1,6}$/.test(q.get('wait') || '') ? q.get('wait') : 'a few') + ' s.',
  }[q.get('error')];
  if (why) {
    const p = document.getElementById('login-error');
    p.textContent = why;
    p.hidden = false;
  }
});
