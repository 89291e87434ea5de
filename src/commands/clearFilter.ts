import { NO_FILTER } from '../tree/filter';
import { applyFilter } from './filterExecutions';
import type { Services } from '../services';

export async function clearFilter(services: Services): Promise<void> {
  await applyFilter(services, NO_FILTER);
}
