/**
 * Imported first by the local entry points (`npm start`, `npm run bench`), before any AWS SDK client
 * exists. The machines this runs on have Node 20 by design; the SDK's notice that its future releases
 * will need Node 22 would otherwise open every run.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
