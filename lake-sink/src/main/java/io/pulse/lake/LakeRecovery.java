package io.pulse.lake;

import io.pulse.lake.dataset.LakeDatasets;
import io.pulse.lake.layout.BatchFileName;
import io.pulse.lake.store.LakeDirectory;
import io.pulse.lake.store.LakeFile;
import io.pulse.lake.store.LakeStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the lake when partitions are assigned: cleans up after a crashed owner and plans where each resumes. */
final class LakeRecovery {
    private static final Logger log = LoggerFactory.getLogger(LakeRecovery.class);
    private static final Comparator<BatchFileName> NEWEST_LAST =
            Comparator.comparingLong(BatchFileName::lastOffset).thenComparingLong(BatchFileName::firstOffset);

    private final LakeStore store;
    private final LakeDatasets datasets;

    LakeRecovery(LakeStore store, LakeDatasets datasets) {
        this.store = store;
        this.datasets = datasets;
    }

    /**
     * Deletes the partitions' temporary files (left by a crashed owner; this one has none in flight),
     * then decides for each where it resumes. Each partition's files are in its topic's dataset; one
     * listing of a dataset serves all its partitions.
     */
    Map<TopicPartition, ResumePlan> plan(Collection<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed) {
        Map<String, List<TopicPartition>> byDataset = partitions.stream()
                .collect(Collectors.groupingBy(tp -> datasets.forTopic(tp.topic()).name(), TreeMap::new, Collectors.toList()));
        Map<TopicPartition, List<LakeFile>> filesByPartition = new HashMap<>();
        byDataset.forEach((dataset, datasetPartitions) -> {
            List<String> ownerTags = datasetPartitions.stream().map(tp -> BatchFileName.ownerTag(tp.topic(), tp.partition())).toList();
            store.deleteTemporaries(dataset, ownerTags);
            filesByPartition.putAll(committedFilesOf(dataset, new HashSet<>(datasetPartitions)));
        });

        Map<TopicPartition, ResumePlan> plans = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = committed.get(tp);
            OptionalLong committedOffset = offset == null ? OptionalLong.empty() : OptionalLong.of(offset.offset());
            plans.put(tp, ResumePlan.decide(lastBatch(filesByPartition.getOrDefault(tp, List.of())), committedOffset));
        }
        return plans;
    }

    private Map<TopicPartition, List<LakeFile>> committedFilesOf(String dataset, Set<TopicPartition> partitions) {
        Map<TopicPartition, List<LakeFile>> byPartition = new HashMap<>();
        for (LakeFile file : store.listCommitted(dataset)) {
            Optional<BatchFileName> name = BatchFileName.parse(file.name());
            if (name.isEmpty()) {
                log.debug("Ignoring lake file {}: not named like a sink batch", file);
                continue;
            }
            TopicPartition tp = new TopicPartition(name.get().topic(), name.get().partition());
            if (partitions.contains(tp)) {
                byPartition.computeIfAbsent(tp, k -> new ArrayList<>()).add(file);
            }
        }
        return byPartition;
    }

    private static Optional<ResumePlan.LastBatch> lastBatch(List<LakeFile> files) {
        Map<BatchFileName, Set<LakeDirectory>> directoriesByBatch = files.stream().collect(Collectors.groupingBy(
                f -> BatchFileName.parse(f.name()).orElseThrow(),
                Collectors.mapping(LakeFile::directory, Collectors.toSet())));
        return directoriesByBatch.keySet().stream().max(NEWEST_LAST)
                .map(newest -> new ResumePlan.LastBatch(newest, directoriesByBatch.get(newest)));
    }
}
