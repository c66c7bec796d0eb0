#!/usr/bin/env node
/**
 * playground: serves the built site (dist/site) with the cross-origin
 * isolation headers. The library runs in the browser tab; with --runs the
 * server also answers the visualiser's API for the Runs tab.
 *
 *   playground               # http://127.0.0.1:8060/
 *   playground --port 0      # any free port
 *   playground --runs runs/  # the Runs tab follows the runs in runs/
 *
 * `pnpm visualize` runs this same page through dist/visualize.js, with the
 * visualiser's options and defaults (--runs required, port 8050).
 */
import { servePlayground } from "./cli.js";

servePlayground({ name: "playground", port: 8060, runsRequired: false });
