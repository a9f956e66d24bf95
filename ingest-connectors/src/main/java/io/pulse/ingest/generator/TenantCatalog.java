package io.pulse.ingest.generator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The made-up world of one synthetic retailer: its stores, its products (with skewed popularity and
 * fixed prices) and its currency. Derived from the seed, so the same seed gives the same retailer.
 */
final class TenantCatalog {
    static final String WEB_SHOP = "web";

    final String tenant;
    final String currency;
    final List<String> physicalStores;
    final List<String> products;
    final List<String> categories;
    final BigDecimal[] prices;
    private final double[] cumulativePopularity;
    final int customers;

    TenantCatalog(String tenant, Random random) {
        this.tenant = tenant;
        this.currency = switch (tenant) {
            case "fabrikam" -> "USD";
            case "northwind" -> "GBP";
            default -> "EUR";
        };
        int storeCount = 3 + random.nextInt(4);
        this.physicalStores = IntStream.rangeClosed(1, storeCount).mapToObj(i -> String.format("store-%02d", i)).toList();
        int productCount = 150 + random.nextInt(100);
        this.products = IntStream.rangeClosed(1, productCount).mapToObj(i -> String.format("sku-%05d", i)).toList();
        this.categories = List.of("apparel", "shoes", "home", "beauty", "electronics", "toys", "grocery");
        this.prices = new BigDecimal[productCount];
        this.cumulativePopularity = new double[productCount];
        double total = 0;
        for (int i = 0; i < productCount; i++) {
            // Prices from 2.99 to ~250, ending in .99 or .49 like real price tags.
            int whole = 2 + (int) Math.floor(Math.pow(random.nextDouble(), 2) * 248);
            prices[i] = new BigDecimal(whole + (random.nextBoolean() ? ".99" : ".49")).setScale(4, RoundingMode.UNNECESSARY);
            // Zipf-like popularity: a few best sellers, a long tail.
            total += 1.0 / Math.pow(i + 1, 1.1);
            cumulativePopularity[i] = total;
        }
        for (int i = 0; i < productCount; i++) {
            cumulativePopularity[i] /= total;
        }
        this.customers = 500 + random.nextInt(1500);
    }

    int pickProduct(Random random) {
        double r = random.nextDouble();
        int lo = 0;
        int hi = cumulativePopularity.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulativePopularity[mid] < r) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    String categoryOf(int product) {
        return categories.get(product % categories.size());
    }
}
