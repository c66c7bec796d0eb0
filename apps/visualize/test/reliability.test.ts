/** Issue 26's reliability rows on the visualiser's own server (the suite is shared with the playground's). */
import { startServer } from "../src/index.js";
import { reliabilitySuite } from "./reliabilitySuite.js";

reliabilitySuite("the visualiser's server", ({ runsDir, idleTimeoutMs, indexMaxAgeMs }) => startServer({ runsDir, port: 0, idleTimeoutMs, indexMaxAgeMs }));
