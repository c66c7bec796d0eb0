#!/usr/bin/env node
/**
 * visualize: the playground page opened on a runs directory, with the
 * options the visualiser always took. There is one page: this is it.
 *
 *   visualize --runs runs/            # http://127.0.0.1:8050/?page=runs
 *   visualize --runs runs/ --port 0   # any free port
 */
import { servePlayground } from "./cli.js";

servePlayground({ name: "visualize", port: 8050, runsRequired: true });
