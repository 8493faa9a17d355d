/**
 * Imported first by tests whose API must not consume jobs: every app the file boots runs with
 * APP_ROLE=api, so no job consumer is built.
 */
process.env.APP_ROLE = 'api';
