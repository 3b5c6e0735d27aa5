/** The demo ordering pages (public/), the menu they show, and the JSAPI script they load. */
import { Controller, Get, Header, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { H5Orders } from './h5-orders';
import { H5_ORDERS, H5_PAGES } from './h5.tokens';

export interface H5PagesOptions {
  /** Where the page loads window.ap (Alipay's JSAPI; the sandbox's stand-in in the demo). */
  apJsUrl: string;
}

const FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'result.html': 'text/html; charset=utf-8',
  'h5.js': 'application/javascript; charset=utf-8',
  'result.js': 'application/javascript; charset=utf-8',
  'h5.css': 'text/css; charset=utf-8',
};

const PUBLIC = join(__dirname, 'public');

@Controller('h5')
export class H5PagesController {
  private readonly cache = new Map<string, string>();

  constructor(
    @Inject(H5_PAGES) private readonly options: H5PagesOptions,
    @Inject(H5_ORDERS) private readonly h5: H5Orders,
  ) {}

  @Get()
  index(@Res() res: Response): void {
    this.send(res, 'index.html');
  }

  @Get('menu')
  @Header('cache-control', 'no-store')
  menu(): { dishes: ReturnType<H5Orders['menu']>; currency: string } {
    return { dishes: this.h5.menu(), currency: 'CNY' };
  }

  @Get(':file')
  file(@Param('file') file: string, @Res() res: Response): void {
    if (!(file in FILES)) throw new NotFoundException();
    this.send(res, file);
  }

  private send(res: Response, file: string): void {
    let body = this.cache.get(file);
    if (body === undefined) {
      body = readFileSync(join(PUBLIC, file), 'utf8').replace(/\{\{AP_JS_URL\}\}/g, escapeAttribute(this.options.apJsUrl));
      this.cache.set(file, body);
    }
    res.status(200).type(FILES[file] ?? 'text/plain').send(body);
  }
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
