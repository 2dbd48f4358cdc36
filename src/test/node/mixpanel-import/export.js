// Runs mixpanel-import's raw event export (recordType "export") as a user would, with only its
// hard-coded Mixpanel host pointed at Lethe (LETHE_URL): the tool writes what /api/2.0/export
// answered for [START, END] under ./mixpanel-exports/ of the working directory, as it always does,
// and this prints the tool's summary as one JSON line.
//
// why a got hook: the tool's exporter calls got.stream on https://data.mixpanel.com/api/2.0/export
// and has no host option. Swapping the module got exports, before the tool is required, for one
// whose beforeRequest hook rewrites that one origin changes nothing else of the tool (its auth,
// parameters, retries and how it writes the file).
'use strict';
const target = process.env.LETHE_URL;
if (!target || !process.env.START || !process.env.END) {
	console.error('usage: LETHE_URL=http://127.0.0.1:8080 LETHE_SECRET=... START=YYYY-MM-DD END=YYYY-MM-DD node export.js');
	process.exit(2);
}
const lethe = new URL(target);
const gotPath = require.resolve('got', { paths: [require.resolve('mixpanel-import')] });
const got = require(gotPath);
require.cache[gotPath].exports = got.extend({
	hooks: {
		beforeRequest: [(options) => {
			if (/(^|\.)mixpanel\.com$/.test(options.url.hostname)) {
				options.url.protocol = lethe.protocol;
				options.url.host = lethe.host;
			}
		}]
	}
});

const mpImport = require('mixpanel-import');

mpImport({ secret: process.env.LETHE_SECRET }, 'events.ndjson',
	{ recordType: 'export', start: process.env.START, end: process.env.END, verbose: false, logs: false }).then(
	(result) => {
		const { total, success, failed, requests, retries } = result;
		process.stdout.write(JSON.stringify({ total, success, failed, requests, retries }) + '\n');
		process.exit(0);
	},
	(error) => {
		console.error(error);
		process.exit(1);
	});
