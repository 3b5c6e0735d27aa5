/**
 * What the admin API needs from the HTTP server itself, set up by bootstrap before the server starts:
 * the key check on /admin/v1 ahead of body parsing and routing (Nest adds its body parsers at init, after
 * this), the sessions view's link to the ISO listener, and the OpenAPI document with its Swagger UI.
 */
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AdminModule } from './admin.module';
import { ADMIN_BASE_PATH } from './http/admin-route.decorator';
import { authenticateAdmin } from './http/authenticate';
import { ApiKeyStore } from './keys/api-key-store';
import { LiveSessions, type IsoLinks } from './sessions/live-sessions';

export const OPENAPI_PATH = 'admin/openapi.json';
export const SWAGGER_UI_PATH = 'admin/docs';

export function configureAdminHttp(app: INestApplication, isoLinks: IsoLinks): void {
  app.use(`/${ADMIN_BASE_PATH}`, authenticateAdmin(app.get(ApiKeyStore)));
  app.get(LiveSessions).attach(isoLinks);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Alipay EFT switch: admin API')
      .setDescription(
        'Operations API of the acquirer switch. Every route needs `Authorization: Bearer <API key>`; ' +
          'roles: viewer (reads) < operator (reads, transaction actions, interventions, queue, sessions) < admin (everything, incl. keys, merchants, terminals, credentials, audit). ' +
          'Errors are RFC 9457 problem details (application/problem+json). Lists are paged: `limit` (1-200) and `cursor` (the previous page’s `nextCursor`). ' +
          'Every write needs a non-empty `reason` (JSON body; query parameter for DELETE) and leaves one audit entry.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key from POST /admin/v1/api-keys, ADMIN_BOOTSTRAP_KEY or npm run admin -- create-key' })
      .build(),
    { include: [AdminModule] },
  );
  // AdminModule also holds /health, which has its own description elsewhere.
  for (const path of Object.keys(document.paths)) if (!path.startsWith(`/${ADMIN_BASE_PATH}/`)) delete document.paths[path];
  SwaggerModule.setup(SWAGGER_UI_PATH, app, document, { jsonDocumentUrl: OPENAPI_PATH, raw: ['json'] });
}
