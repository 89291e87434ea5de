import { NO_FILTER } from '../tree/filter';
import { applyFilter, type FilterServices } from './filterExecutions';

export async function clearFilter(services: FilterServices): Promise<void> {
  await applyFilter(services, NO_FILTER);
}
