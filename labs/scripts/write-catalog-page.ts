// Writes labs/CATALOG.md, the table of every lab in labs/catalog/, from the labs' lab.yaml files.
import { writeFileSync } from 'node:fs';
import { CATALOG_PAGE_PATH, catalogPageText } from '../src/loader/catalog-page';

writeFileSync(CATALOG_PAGE_PATH, catalogPageText());
console.log(`wrote ${CATALOG_PAGE_PATH}`);
