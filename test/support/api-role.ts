/**
 * Imported first by tests whose API must not consume jobs: workerProviders() reads APP_ROLE
 * when the module file is loaded, before bootApp applies its env overrides.
 */
process.env.APP_ROLE = 'api';
