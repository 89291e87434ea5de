import type { Services } from '../services';

export async function showLog(services: Pick<Services, 'log'>): Promise<void> {
  services.log.show();
}
