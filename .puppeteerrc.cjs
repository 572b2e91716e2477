// Debian's Chromium and Firefox ESR are used; puppeteer must never download a browser.
module.exports = { skipDownload: true };
