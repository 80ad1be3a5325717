import { describe, expect, it } from 'vitest';
import {
  CategoryInUseError,
  CategoryNameTakenError,
  CategoryNotFoundError,
  CategoryTreeError,
} from '../../../src/core/categories/category.errors.js';
import {
  CategoryCatalog,
  CreateCategory,
  DeleteCategory,
  UpdateCategory,
} from '../../../src/core/categories/manage-categories.use-case.js';
import { ForbiddenError, InvalidInputError } from '../../../src/core/shared/domain-error.js';
import { aCategory } from '../../support/factories/category.factory.js';
import { aTicket } from '../../support/factories/ticket.factory.js';
import { FixedClock } from '../../support/fakes/fixed-clock.js';
import { InMemoryDatabase } from '../../support/fakes/in-memory-database.js';
import { InMemoryUnitOfWork } from '../../support/fakes/in-memory-unit-of-work.js';
import { failureOf } from '../failure-of.js';

function setup() {
  const db = new InMemoryDatabase();
  const uow = new InMemoryUnitOfWork(db);
  const clock = new FixedClock('2025-07-01T12:00:00.000Z');
  const admin = db.addActor('admin');
  const agent = db.addActor('agent');
  const requester = db.addActor('requester');
  const hardware = db.addCategory(aCategory({ name: 'Hardware' }));
  const printers = db.addCategory(aCategory({ name: 'Printers', parentId: hardware.id }));
  const software = db.addCategory(aCategory({ name: 'Software' }));
  /** Seeds a ticket classified under `categoryId` (and optionally a subcategory). */
  const useIn = (categoryId: string, subcategoryId: string | null = null, deletedAt: Date | null = null) =>
    db.addTicket(aTicket({ requesterId: requester.id, categoryId, subcategoryId, deletedAt }));
  return {
    db,
    clock,
    admin,
    agent,
    requester,
    hardware,
    printers,
    software,
    useIn,
    create: new CreateCategory(uow, clock),
    update: new UpdateCategory(uow, clock),
    remove: new DeleteCategory(uow),
    catalog: new CategoryCatalog(db.autocommit.categories),
  };
}

describe('category management', () => {
  describe('is for admins only', () => {
    it.each(['agent', 'requester'] as const)('refuses a %s create, update and delete with ForbiddenError', async (role) => {
      const w = setup();
      const actor = w[role];
      const before = w.db.categories();
      expect(await failureOf(() => w.create.execute(actor, { name: 'Network' }))).toBeInstanceOf(ForbiddenError);
      expect(await failureOf(() => w.update.execute(actor, { id: w.software.id, name: 'Apps' }))).toBeInstanceOf(ForbiddenError);
      expect(await failureOf(() => w.remove.execute(actor, w.software.id))).toBeInstanceOf(ForbiddenError);
      expect(w.db.categories()).toEqual(before);
    });
  });

  describe('CreateCategory', () => {
    it('creates a top-level category with a trimmed name', async () => {
      const { db, clock, create, admin } = setup();
      const category = await create.execute(admin, { name: '  Network  ' });
      expect(db.category(category.id)).toEqual({
        id: category.id,
        name: 'Network',
        parentId: null,
        createdAt: clock.now(),
        updatedAt: clock.now(),
      });
    });

    it('creates a subcategory under a top-level category', async () => {
      const { db, create, admin, hardware } = setup();
      const scanners = await create.execute(admin, { name: 'Scanners', parentId: hardware.id });
      expect(db.category(scanners.id)!.parentId).toBe(hardware.id);
    });

    it.each([
      ['under a subcategory (three levels)', (w: ReturnType<typeof setup>) => w.printers.id, 'A subcategory cannot have subcategories'],
      ['under a missing parent', () => '6e5d4c3b-2a19-4f8e-9d7c-6b5a49382716', 'does not exist'],
    ])('refuses a category %s with CategoryTreeError', async (_, parentOf, message) => {
      const w = setup();
      const before = w.db.categories();
      const error = await failureOf(() => w.create.execute(w.admin, { name: 'Toner', parentId: parentOf(w) }));
      expect(error).toBeInstanceOf(CategoryTreeError);
      expect(error.message).toContain(message);
      expect(w.db.categories()).toEqual(before);
    });

    it.each([
      ['empty', '', false],
      ['blank', '   ', false],
      ['100 characters', 'x'.repeat(100), true],
      ['101 characters', 'x'.repeat(101), false],
    ])('name %s: accepted=%s', async (_, name, accepted) => {
      const { create, admin } = setup();
      const result = await create.execute(admin, { name }).catch((e: unknown) => e);
      if (accepted) expect(result).toMatchObject({ name });
      else expect(result).toBeInstanceOf(InvalidInputError);
    });

    it('refuses a name taken at the same level, whatever its case (CategoryNameTakenError)', async () => {
      const { create, admin, hardware } = setup();
      expect(await failureOf(() => create.execute(admin, { name: ' hardware ' }))).toBeInstanceOf(CategoryNameTakenError);
      expect(await failureOf(() => create.execute(admin, { name: 'PRINTERS', parentId: hardware.id }))).toBeInstanceOf(
        CategoryNameTakenError,
      );
    });

    it('allows a name used at another level', async () => {
      const { create, admin, software } = setup();
      await expect(create.execute(admin, { name: 'Printers', parentId: software.id })).resolves.toMatchObject({ name: 'Printers' });
      await expect(create.execute(admin, { name: 'Printers' })).resolves.toMatchObject({ parentId: null });
    });
  });

  describe('UpdateCategory', () => {
    it('renames, keeping the parent and moving updatedAt', async () => {
      const { db, clock, update, admin, printers } = setup();
      clock.advance({ days: 1 });
      await update.execute(admin, { id: printers.id, name: 'Printers & copiers' });
      expect(db.category(printers.id)).toEqual({ ...printers, name: 'Printers & copiers', updatedAt: clock.now() });
    });

    it('renames a category used by tickets', async () => {
      const { db, update, admin, hardware, useIn } = setup();
      useIn(hardware.id);
      await update.execute(admin, { id: hardware.id, name: 'Devices' });
      expect(db.category(hardware.id)!.name).toBe('Devices');
    });

    it('refuses a rename to a sibling name (CategoryNameTakenError)', async () => {
      const { update, admin, software } = setup();
      expect(await failureOf(() => update.execute(admin, { id: software.id, name: 'HARDWARE' }))).toBeInstanceOf(CategoryNameTakenError);
    });

    it('answers CategoryNotFoundError for a missing category', async () => {
      const { update, admin } = setup();
      expect(await failureOf(() => update.execute(admin, { id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', name: 'x' }))).toBeInstanceOf(
        CategoryNotFoundError,
      );
    });

    it('moves an unused top-level category under another one, and an unused subcategory up to the top', async () => {
      const { db, update, admin, hardware, printers, software } = setup();
      await update.execute(admin, { id: software.id, parentId: hardware.id });
      expect(db.category(software.id)!.parentId).toBe(hardware.id);
      await update.execute(admin, { id: printers.id, parentId: null });
      expect(db.category(printers.id)!.parentId).toBeNull();
    });

    it.each([
      ['under itself', (w: ReturnType<typeof setup>) => ({ id: w.software.id, parentId: w.software.id }), 'its own parent'],
      ['under a subcategory', (w: ReturnType<typeof setup>) => ({ id: w.software.id, parentId: w.printers.id }), 'cannot have subcategories'],
      ['with subcategories under another category', (w: ReturnType<typeof setup>) => ({ id: w.hardware.id, parentId: w.software.id }), 'with subcategories'],
      ['under a missing parent', (w: ReturnType<typeof setup>) => ({ id: w.software.id, parentId: '0f1e2d3c-4b5a-4697-8877-665544332211' }), 'does not exist'],
    ])('refuses moving a category %s (CategoryTreeError), changing nothing', async (_, inputOf, message) => {
      const w = setup();
      const before = w.db.categories();
      const error = await failureOf(() => w.update.execute(w.admin, inputOf(w)));
      expect(error).toBeInstanceOf(CategoryTreeError);
      expect(error.message).toContain(message);
      expect(w.db.categories()).toEqual(before);
    });

    it.each([
      ['a subcategory used by a ticket up to the top', (w: ReturnType<typeof setup>) => {
        w.useIn(w.hardware.id, w.printers.id);
        return { id: w.printers.id, parentId: null };
      }],
      ['a subcategory used by a ticket to another parent', (w: ReturnType<typeof setup>) => {
        w.useIn(w.hardware.id, w.printers.id);
        return { id: w.printers.id, parentId: w.software.id };
      }],
      ['a top-level category used by a ticket under another one', (w: ReturnType<typeof setup>) => {
        w.useIn(w.software.id);
        return { id: w.software.id, parentId: w.hardware.id };
      }],
    ])('refuses moving %s (CategoryTreeError)', async (_, inputOf) => {
      const w = setup();
      const input = inputOf(w);
      const before = w.db.category(input.id);
      expect(await failureOf(() => w.update.execute(w.admin, input))).toBeInstanceOf(CategoryTreeError);
      expect(w.db.category(input.id)).toEqual(before);
    });
  });

  describe('DeleteCategory', () => {
    it('deletes an unused category', async () => {
      const { db, remove, admin, software } = setup();
      await remove.execute(admin, software.id);
      expect(db.category(software.id)).toBeUndefined();
    });

    it.each([
      ['it has subcategories', (w: ReturnType<typeof setup>) => w.hardware.id, 'subcategories'],
      ['a ticket uses it as category', (w: ReturnType<typeof setup>) => (w.useIn(w.software.id), w.software.id), 'tickets use it'],
      ['a ticket uses it as subcategory', (w: ReturnType<typeof setup>) => (w.useIn(w.hardware.id, w.printers.id), w.printers.id), 'tickets use it'],
      ['only a deleted ticket uses it', (w: ReturnType<typeof setup>) => (w.useIn(w.software.id, null, new Date()), w.software.id), 'tickets use it'],
    ])('refuses when %s (CategoryInUseError)', async (_, idOf, message) => {
      const w = setup();
      const id = idOf(w);
      const error = await failureOf(() => w.remove.execute(w.admin, id));
      expect(error).toBeInstanceOf(CategoryInUseError);
      expect(error.message).toContain(message);
      expect(w.db.category(id)).toBeDefined();
    });

    it('answers CategoryNotFoundError for a missing category', async () => {
      const { remove, admin } = setup();
      expect(await failureOf(() => remove.execute(admin, '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d'))).toBeInstanceOf(CategoryNotFoundError);
    });
  });

  describe('CategoryCatalog', () => {
    it('lists top-level categories first, then subcategories, by name', async () => {
      const { create, catalog, admin, software } = setup();
      await create.execute(admin, { name: 'email', parentId: software.id });
      await create.execute(admin, { name: 'Accounts' });
      const names = (await catalog.list()).map((c) => c.name);
      expect(names.slice(0, 3)).toEqual(['Accounts', 'Hardware', 'Software']);
      expect(names.slice(3).sort()).toEqual(['Printers', 'email']);
    });
  });
});
