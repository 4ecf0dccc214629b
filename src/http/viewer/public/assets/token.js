// The admin token lives in this tab's sessionStorage: it survives a reload, not the tab, and is
// never written to the page, the console or a URL.

const KEY = 'atom-sync.adminToken';

export function loadToken() {
  try {
    return sessionStorage.getItem(KEY) || null;
  } catch {
    return null; // storage disabled: ask every time
  }
}

export function saveToken(token) {
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    // storage disabled: the token lives in memory until the tab closes
  }
}

export function forgetToken() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}
