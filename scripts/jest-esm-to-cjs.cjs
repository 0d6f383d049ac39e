// Jest transform for ESM-only dependencies (@nestjs 12, @noble, @scure, nostr-tools):
// TypeScript's transpiler rewrites their import/export to CommonJS, which is what
// Jest's module system runs on Node 20. `import.meta.url` has no CommonJS form, so it
// becomes the file URL of the module first, and a module-level
// `const require = createRequire(import.meta.url)` is dropped: CommonJS already has
// that `require`, and declaring it again is a syntax error.
const { createHash } = require('node:crypto');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  allowJs: true,
  esModuleInterop: true,
  inlineSourceMap: true,
};

module.exports = {
  getCacheKey(source, filename) {
    return createHash('sha256').update('esm-to-cjs-2').update(filename).update(source).digest('hex');
  },
  process(source, filename) {
    const code = source
      .replace(/^\s*const require = createRequire\(import\.meta\.url\);?\s*$/gm, '')
      .replace(/\bimport\.meta\.url\b/g, 'require("node:url").pathToFileURL(__filename).href');
    const { outputText } = ts.transpileModule(code, { compilerOptions, fileName: filename });
    return { code: outputText };
  },
};
