import { Reflector } from '@nestjs/core';
import { Auth, IS_PUBLIC_KEY, OPTIONAL_AUTH_KEY, ROLES_KEY, SCOPES_KEY } from './auth.decorators';

class Routes {
  @Auth() user() {}
  @Auth({ scopes: ['ingestion:read', 'ingestion:write'] }) scoped() {}
  @Auth({ roles: ['admin'] }) admin() {}
  @Auth({ optional: true, scopes: ['feedback:write'] }) optional() {}
  @Auth({ scopes: ['defaults:write'], forbidden: 'Not admin / no defaults:write scope' }) explained() {}
  // @ts-expect-error an unknown scope is a compile error, not a route no API key can reach
  @Auth({ scopes: ['ingestion:raed'] }) typo() {}
}

@Auth({ roles: ['admin'] })
class AdminController {}

// @nestjs/swagger's metadata keys (its constants module is not an exported path).
const DECORATORS = { API_SECURITY: 'swagger/apiSecurity', API_RESPONSE: 'swagger/apiResponse' };
const reflector = new Reflector();
const meta = (key: string, route: keyof Routes) => reflector.get<unknown>(key, Routes.prototype[route]);
const responses = (route: keyof Routes) =>
  Reflect.getMetadata(DECORATORS.API_RESPONSE, Routes.prototype[route]) as
    | Record<string, { description: string }>
    | undefined;

describe('@Auth', () => {
  it('a plain @Auth() is a user-token route: bearer security, no roles or scopes, not public', () => {
    expect(meta(ROLES_KEY, 'user')).toBeUndefined();
    expect(meta(SCOPES_KEY, 'user')).toBeUndefined();
    expect(meta(IS_PUBLIC_KEY, 'user')).toBeUndefined();
    expect(meta(DECORATORS.API_SECURITY, 'user')).toEqual([{ bearer: [] }]);
    expect(responses('user')).toBeUndefined();
  });

  it('scopes set the guard metadata and open the route to API keys in Swagger', () => {
    expect(meta(SCOPES_KEY, 'scoped')).toEqual(['ingestion:read', 'ingestion:write']);
    expect(meta(DECORATORS.API_SECURITY, 'scoped')).toEqual([{ 'api-key': [] }, { bearer: [] }]);
  });

  it('roles set the guard metadata and document the 403, on a method or a whole controller', () => {
    expect(meta(ROLES_KEY, 'admin')).toEqual(['admin']);
    expect(responses('admin')?.['403'].description).toBe('Caller is not an admin');
    expect(reflector.get(ROLES_KEY, AdminController)).toEqual(['admin']);
    expect(Reflect.getMetadata(DECORATORS.API_SECURITY, AdminController)).toEqual([{ bearer: [] }]);
  });

  it('optional auth makes the route public but checked when credentials are sent', () => {
    expect(meta(IS_PUBLIC_KEY, 'optional')).toBe(true);
    expect(meta(OPTIONAL_AUTH_KEY, 'optional')).toBe(true);
    expect(meta(SCOPES_KEY, 'optional')).toEqual(['feedback:write']);
  });

  it('a route that refuses for its own reasons documents its own 403 text', () => {
    expect(responses('explained')?.['403'].description).toBe('Not admin / no defaults:write scope');
  });
});
