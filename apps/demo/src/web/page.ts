/** The one HTML page: the browser bundle renders into `#app`. */
export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>okta-auth web demo</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
<script type="module" src="/app.js"></script>
</head>
<body>
<header><strong>okta-auth</strong> web demo</header>
<main id="app" aria-live="polite"><p>Loading…</p></main>
<noscript>This demo needs JavaScript.</noscript>
</body>
</html>
`;

export const APP_CSS = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.45; }
body { margin: 0; }
header { padding: .75rem 1.5rem; border-bottom: 1px solid #8884; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
button { font: inherit; padding: .5rem 1rem; border-radius: .4rem; border: 1px solid #8888; cursor: pointer; }
button.primary { background: #1662dd; color: #fff; border-color: #1662dd; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; font-size: .95rem; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #8883; }
th { font-weight: 600; }
code { font-size: .9em; }
.note { opacity: .75; }
.error { border: 1px solid #d33; background: #d331; padding: .75rem 1rem; border-radius: .4rem; }
.notice { border: 1px solid #3a3; background: #3a31; padding: .75rem 1rem; border-radius: .4rem; }
.hint { border: 1px solid #1662dd; background: #1662dd1a; padding: .75rem 1rem; border-radius: .4rem; }
.top { display: flex; align-items: center; justify-content: space-between; gap: 1rem; flex-wrap: wrap; }
.pager { display: flex; align-items: center; gap: .5rem; margin: .5rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
`;
