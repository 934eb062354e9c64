import { createReadStream, createWriteStream } from 'node:fs';
import { Command, Option } from 'commander';
import { loadNetwork } from '@saferoads/shared/network';
// Subpaths, not the package index: the offline run must not load the Kafka client.
import { runOfflineStats } from '@saferoads/traffic-stats/offline';
import { DEFAULT_TRAFFIC_STATS_CONFIG } from '@saferoads/traffic-stats/config';
import { intOption, numberOption } from '../options.js';

export function statsCommand(): Command {
  const d = DEFAULT_TRAFFIC_STATS_CONFIG;
  return new Command('stats')
    .description(
      'Read detections NDJSON on stdin, write closed 1-minute and 10-minute window statistics NDJSON on stdout.\n' +
        'The same stage code as the traffic-stats service; all windows are flushed at the end of input.',
    )
    .option('--network <file>', 'road network GeoJSON (default: the bundled A13 demo network)')
    .addOption(new Option('--out-of-orderness <ms>', 'allowed out-of-orderness before the watermark').argParser(intOption('--out-of-orderness', 0)).default(d.outOfOrdernessMs))
    .addOption(new Option('--grace <ms>', 'grace period after a window end').argParser(intOption('--grace', 0)).default(d.graceMs))
    .addOption(new Option('--truck-length <m>', 'vehicles at least this long count as trucks').argParser(numberOption('--truck-length', 2)).default(d.truckMinLengthM))
    .option('--dlq <file>', 'write refused lines with their reasons to this NDJSON file')
    .option('--late <file>', 'write late detections to this NDJSON file')
    .option('--quiet', 'no summary on stderr')
    .action(async (o: { network?: string; outOfOrderness: number; grace: number; truckLength: number; dlq?: string; late?: string; quiet?: boolean }) => {
      const network = loadNetwork(o.network);
      const report = await runOfflineStats({
        network,
        // 1 MiB reads: stdin's default 64 KiB chunks cost a round trip each on a large backfill.
        input: createReadStream('', { fd: 0, highWaterMark: 1 << 20 }),
        output: process.stdout,
        config: { outOfOrdernessMs: o.outOfOrderness, graceMs: o.grace, truckMinLengthM: o.truckLength },
        deadLetters: o.dlq ? createWriteStream(o.dlq) : undefined,
        lateOut: o.late ? createWriteStream(o.late) : undefined,
      });
      if (!o.quiet) {
        process.stderr.write(
          `stats: ${report.lines} lines, ${report.accepted} detections accepted, ${report.invalid} refused, ` +
            `${report.duplicates} duplicates, ${report.late} late, ${report.outOfOrder} out of order within grace, ` +
            `${report.records} window records\n`,
        );
      }
    });
}
