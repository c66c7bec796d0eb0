export * from "./markers.js";
export * from "./scaffold.js";
export * from "./sourceFiles.js";
export * from "./tasks.js";
export * from "./lintDirectives.js";
