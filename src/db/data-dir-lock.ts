import fs from 'node:fs'

/** Thrown when another process already holds the embedded database's data folder. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError'
}

export interface DataDirLock {
  release: () => void
}

/**
 * PGlite has no lock of its own: a second process opening the same folder loses its writes silently. We take an
 * exclusive lock file beside the folder; a lock left by a process that no longer runs is taken over.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const lockPath = `${dataDir}.lock`
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx')
      fs.writeSync(fd, String(process.pid))
      fs.closeSync(fd)
      let released = false
      return {
        release: () => {
          if (!released) {
            released = true
            fs.rmSync(lockPath, { force: true })
          }
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error
      }
      const holder = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10)
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
        throw new DataDirLockedError(
          `The embedded database in ${dataDir} is in use by another Best Start process (pid ${String(holder)}). ` +
            'Stop that process first, or point DATABASE_URL at a PostgreSQL server to run several processes.',
        )
      }
      if (holder === process.pid) {
        throw new DataDirLockedError(`The embedded database in ${dataDir} is already open in this process.`)
      }
      fs.rmSync(lockPath, { force: true })
    }
  }
  throw new DataDirLockedError(`Could not lock the embedded database in ${dataDir}.`)
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
