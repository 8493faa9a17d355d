import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PACKAGE_VERSION } from '../modules/health/build-info';
import { OpenApiDocumentStore } from '../common/openapi/openapi-document';

export const API_KEY_SCHEME = 'api-key';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('nexcore API')
    .setDescription('Versioned REST API. Errors are RFC 9457 application/problem+json with `code` and `requestId`.')
    .setVersion(PACKAGE_VERSION)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, API_KEY_SCHEME)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Builds the document once, at boot: Swagger UI (`/docs`) embeds it, and `GET /docs/json` is
 * served prebuilt by OpenApiController (rate-limited, ETag). Swagger's own raw routes are off:
 * they re-serialised the document on every request (the YAML variant too, so it is gone).
 */
export function setupSwagger(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  app.get(OpenApiDocumentStore).set(document);
  SwaggerModule.setup('docs', app, document, { raw: false });
}
