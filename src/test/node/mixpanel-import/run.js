// Runs mixpanel-import with its defaults on one file, as a user would, with only its hard-coded
// Mixpanel host pointed at Lethe (LETHE_URL), and prints what the tool reports as one JSON line.
//
// why a Pool subclass: the tool sends through an undici Pool it builds for https://api.mixpanel.com
// when it loads; it has no host option. Replacing the Pool export before the tool is required
// changes that one address and nothing else of the tool (its batching, gzip, strict=1, auth).
'use strict';
const undici = require('undici');

const target = process.env.LETHE_URL;
if (!target) {
	console.error('set LETHE_URL to the Lethe server, e.g. http://127.0.0.1:8080');
	process.exit(2);
}
const MixpanelPool = undici.Pool;
undici.Pool = class extends MixpanelPool {
	constructor(origin, options) {
		super(/mixpanel\.com/.test(String(origin)) ? target : origin, options);
	}
};

const mpImport = require('mixpanel-import');

mpImport({ secret: process.env.LETHE_SECRET }, process.argv[2], {}).then(
	(result) => {
		const { total, success, failed, batches, requests, retries, empty } = result;
		process.stdout.write(JSON.stringify({ total, success, failed, batches, requests, retries, empty }) + '\n');
		process.exit(0);
	},
	(error) => {
		console.error(error);
		process.exit(1);
	});
