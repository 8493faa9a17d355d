import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { appConfig, AppConfig } from '../../config/namespaces';
import { buildPinoHttpOptions } from './pino-options';

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (app: AppConfig) => ({
        pinoHttp: buildPinoHttpOptions(app),
        // No pino-http middleware: requests are logged by Fastify hooks (request-logging.ts).
        forRoutes: [],
      }),
    }),
  ],
})
export class LoggingModule {}
