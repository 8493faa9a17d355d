import { IncomingMessage, ServerResponse } from 'node:http';
import { LocalServer } from '../support/local-server';

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;

const PAGES: Record<string, string> = {
  '/': page(
    'Household handbook',
    '<p>This handbook collects short guides for everyday tasks.</p><a href="/car">Car</a> <a href="/garden">Garden</a> <a href="/bread">Bread</a>',
  ),
  '/car': page(
    'Getting a car',
    '<p>Visit a car dealer and compare the prices of each car before you buy. Ask for a test drive, then sign the contract to buy the car and register it in your name.</p>',
  ),
  '/garden': page(
    'Watering plants',
    '<p>Water your plants early in the morning so the soil keeps its moisture through the day. Tomatoes need more water than herbs.</p>',
  ),
  '/bread': page(
    'Baking bread',
    '<p>Mix flour, water, salt and yeast, then knead the dough for ten minutes. Let the dough rise for about one hour before you bake it in a hot oven.</p>',
  ),
};

/**
 * Three short guides on 127.0.0.1 for the semantic retrieval tests. PARAPHRASE shares no word
 * with any page (full-text finds nothing) but means the car page; the embeddings test server's
 * synonyms (purchase → buy, automobile → car) let vector search find it. LEXICAL is answered by
 * full-text search alone.
 */
export class SemanticSite extends LocalServer {
  static readonly PARAPHRASE = 'How do I purchase an automobile?';
  static readonly LEXICAL = 'How long should the dough rise?';

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const body = PAGES[(req.url ?? '/').split('?')[0]];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  }
}
