package perceptron.data;

import java.util.SplittableRandom;

/**
 * A generated stand-in for Kaggle's "House Prices - Advanced Regression Techniques" files, which d2l section 5.7
 * downloads and which cannot be shipped here: the same 81 columns (Id, 79 features, SalePrice; the test file
 * without SalePrice), numeric and text columns where Kaggle has them, "NA" where Kaggle writes it (LotFrontage,
 * Alley, PoolQC, Fence, FireplaceQu, GarageYrBlt ...), and prices that depend on living area, quality,
 * neighbourhood, age, garage and basement with multiplicative noise (log-RMSE 0.08, the floor no model goes
 * below). Measured with {@code train --csv --log-target --kfold 5} on 1,460 rows: the book's linear model (SGD lr
 * 0.01, 10 epochs) reaches a validation log-RMSE of 0.30, Adam (lr 0.05, 30 epochs) 0.12. The values are
 * invented; only the shape is Kaggle's.
 *
 * <pre>{@code
 * Files.writeString(dir.resolve("kaggle_house_pred_train.csv"), KaggleHouses.train(1460, 1));
 * Files.writeString(dir.resolve("kaggle_house_pred_test.csv"), KaggleHouses.test(1459, 2));
 * }</pre>
 */
public final class KaggleHouses {
    private KaggleHouses() {
    }

    /** Kaggle's columns, in its order; 'n' marks a numeric column, 'c' a text one. */
    private static final String[][] COLUMNS = {
        {"MSSubClass", "n"}, {"MSZoning", "c"}, {"LotFrontage", "n"}, {"LotArea", "n"}, {"Street", "c"},
        {"Alley", "c"}, {"LotShape", "c"}, {"LandContour", "c"}, {"Utilities", "c"}, {"LotConfig", "c"},
        {"LandSlope", "c"}, {"Neighborhood", "c"}, {"Condition1", "c"}, {"Condition2", "c"}, {"BldgType", "c"},
        {"HouseStyle", "c"}, {"OverallQual", "n"}, {"OverallCond", "n"}, {"YearBuilt", "n"}, {"YearRemodAdd", "n"},
        {"RoofStyle", "c"}, {"RoofMatl", "c"}, {"Exterior1st", "c"}, {"Exterior2nd", "c"}, {"MasVnrType", "c"},
        {"MasVnrArea", "n"}, {"ExterQual", "c"}, {"ExterCond", "c"}, {"Foundation", "c"}, {"BsmtQual", "c"},
        {"BsmtCond", "c"}, {"BsmtExposure", "c"}, {"BsmtFinType1", "c"}, {"BsmtFinSF1", "n"}, {"BsmtFinType2", "c"},
        {"BsmtFinSF2", "n"}, {"BsmtUnfSF", "n"}, {"TotalBsmtSF", "n"}, {"Heating", "c"}, {"HeatingQC", "c"},
        {"CentralAir", "c"}, {"Electrical", "c"}, {"1stFlrSF", "n"}, {"2ndFlrSF", "n"}, {"LowQualFinSF", "n"},
        {"GrLivArea", "n"}, {"BsmtFullBath", "n"}, {"BsmtHalfBath", "n"}, {"FullBath", "n"}, {"HalfBath", "n"},
        {"BedroomAbvGr", "n"}, {"KitchenAbvGr", "n"}, {"KitchenQual", "c"}, {"TotRmsAbvGrd", "n"},
        {"Functional", "c"}, {"Fireplaces", "n"}, {"FireplaceQu", "c"}, {"GarageType", "c"}, {"GarageYrBlt", "n"},
        {"GarageFinish", "c"}, {"GarageCars", "n"}, {"GarageArea", "n"}, {"GarageQual", "c"}, {"GarageCond", "c"},
        {"PavedDrive", "c"}, {"WoodDeckSF", "n"}, {"OpenPorchSF", "n"}, {"EnclosedPorch", "n"}, {"3SsnPorch", "n"},
        {"ScreenPorch", "n"}, {"PoolArea", "n"}, {"PoolQC", "c"}, {"Fence", "c"}, {"MiscFeature", "c"},
        {"MiscVal", "n"}, {"MoSold", "n"}, {"YrSold", "n"}, {"SaleType", "c"}, {"SaleCondition", "c"},
    };

    private static final String[] NEIGHBORHOODS = {"NAmes", "CollgCr", "OldTown", "Edwards", "Somerst", "Gilbert",
        "NridgHt", "Sawyer", "NWAmes", "SawyerW", "BrkSide", "Crawfor", "Mitchel", "NoRidge", "Timber"};
    private static final String[] QUALITY = {"Po", "Fa", "TA", "Gd", "Ex"};

    /** Kaggle's train.csv shape: Id, 79 features, SalePrice; {@code n} rows from {@code seed}. */
    public static String train(int n, long seed) {
        return generate(n, seed, 1, true);
    }

    /** Kaggle's test.csv shape: Id (continuing after the training file's), 79 features, no SalePrice. */
    public static String test(int n, long seed) {
        return generate(n, seed, 1461, false);
    }

    private static String generate(int n, long seed, int firstId, boolean withPrice) {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("Id");
        for (String[] c : COLUMNS) {
            sb.append(',').append(c[0]);
        }
        sb.append(withPrice ? ",SalePrice\n" : "\n");
        for (int row = 0; row < n; row++) {
            int quality = 1 + Math.min(9, (int) Math.round(5 + 1.4 * rng.nextGaussian()));
            int hood = rng.nextInt(NEIGHBORHOODS.length);
            double hoodFactor = 0.75 + 0.5 * hood / (NEIGHBORHOODS.length - 1.0);
            int year = 1880 + rng.nextInt(130);
            int living = (int) Math.max(400, 1500 + 500 * rng.nextGaussian());
            int basement = rng.nextInt(10) == 0 ? 0 : (int) Math.max(0, living * (0.4 + 0.5 * rng.nextDouble()));
            int cars = rng.nextInt(5) == 0 ? 0 : 1 + rng.nextInt(3);
            boolean pool = rng.nextInt(200) == 0;
            boolean fireplace = rng.nextInt(2) == 0;
            sb.append(firstId + row);
            for (String[] c : COLUMNS) {
                sb.append(',').append(cell(c[0], rng, quality, hood, year, living, basement, cars, pool, fireplace));
            }
            if (withPrice) {
                double price = 18000 + 55 * living * hoodFactor * Math.pow(1.11, quality - 5)
                        * (1 + (year - 1880) / 400.0) + 9000 * cars + 12 * basement;
                price *= Math.exp(0.08 * rng.nextGaussian());
                sb.append(',').append(Math.round(price));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String cell(String column, SplittableRandom rng, int quality, int hood, int year, int living,
                               int basement, int cars, boolean pool, boolean fireplace) {
        switch (column) {
            case "MSSubClass": return pick(rng, "20", "60", "50", "120", "30", "160", "70", "80");
            case "MSZoning": return pick(rng, "RL", "RL", "RL", "RM", "FV", "RH", "C (all)");
            case "LotFrontage": return rng.nextInt(6) == 0 ? "NA" : Integer.toString(40 + rng.nextInt(60));
            case "LotArea": return Integer.toString(5000 + rng.nextInt(12000));
            case "Street": return rng.nextInt(200) == 0 ? "Grvl" : "Pave";
            case "Alley": return rng.nextInt(16) == 0 ? pick(rng, "Grvl", "Pave") : "NA";
            case "Neighborhood": return NEIGHBORHOODS[hood];
            case "OverallQual": return Integer.toString(quality);
            case "OverallCond": return Integer.toString(3 + rng.nextInt(6));
            case "YearBuilt": return Integer.toString(year);
            case "YearRemodAdd": return Integer.toString(Math.max(year, 1950 + rng.nextInt(60)));
            case "MasVnrType": return rng.nextInt(150) == 0 ? "NA" : pick(rng, "None", "BrkFace", "Stone");
            case "MasVnrArea": return rng.nextInt(150) == 0 ? "NA" : Integer.toString(rng.nextInt(2) * rng.nextInt(600));
            case "ExterQual": case "KitchenQual": case "HeatingQC": case "BsmtQual":
                return basement == 0 && column.startsWith("Bsmt") ? "NA"
                        : QUALITY[Math.max(0, Math.min(4, (quality + 1) / 2 - 1 + rng.nextInt(2)))];
            case "ExterCond": case "BsmtCond": case "GarageQual": case "GarageCond":
                if ((basement == 0 && column.startsWith("Bsmt")) || (cars == 0 && column.startsWith("Garage"))) {
                    return "NA";
                }
                return pick(rng, "TA", "TA", "TA", "Gd", "Fa");
            case "BsmtExposure": case "BsmtFinType1": case "BsmtFinType2":
                return basement == 0 ? "NA" : column.equals("BsmtExposure") ? pick(rng, "No", "Av", "Gd", "Mn")
                        : pick(rng, "Unf", "GLQ", "ALQ", "BLQ", "Rec", "LwQ");
            case "BsmtFinSF1": return Integer.toString(basement / 2);
            case "BsmtFinSF2": return Integer.toString(rng.nextInt(8) == 0 ? rng.nextInt(300) : 0);
            case "BsmtUnfSF": return Integer.toString(basement - basement / 2);
            case "TotalBsmtSF": return Integer.toString(basement);
            case "1stFlrSF": return Integer.toString(Math.max(400, living * 6 / 10));
            case "2ndFlrSF": return Integer.toString(living - Math.max(400, living * 6 / 10) > 0
                    ? living - Math.max(400, living * 6 / 10) : 0);
            case "LowQualFinSF": case "3SsnPorch": case "MiscVal":
                return Integer.toString(rng.nextInt(60) == 0 ? rng.nextInt(500) : 0);
            case "GrLivArea": return Integer.toString(living);
            case "BsmtFullBath": case "BsmtHalfBath": case "HalfBath": return Integer.toString(rng.nextInt(2));
            case "FullBath": return Integer.toString(1 + living / 1200);
            case "BedroomAbvGr": return Integer.toString(1 + living / 600);
            case "KitchenAbvGr": return "1";
            case "TotRmsAbvGrd": return Integer.toString(3 + living / 350);
            case "Fireplaces": return fireplace ? "1" : "0";
            case "FireplaceQu": return fireplace ? pick(rng, "Gd", "TA", "Fa", "Ex", "Po") : "NA";
            case "GarageType": return cars == 0 ? "NA" : pick(rng, "Attchd", "Detchd", "BuiltIn", "CarPort");
            case "GarageYrBlt": return cars == 0 ? "NA" : Integer.toString(Math.max(year, 1900 + rng.nextInt(110)));
            case "GarageFinish": return cars == 0 ? "NA" : pick(rng, "Unf", "RFn", "Fin");
            case "GarageCars": return Integer.toString(cars);
            case "GarageArea": return Integer.toString(cars * (220 + rng.nextInt(80)));
            case "WoodDeckSF": case "OpenPorchSF": case "EnclosedPorch": case "ScreenPorch":
                return Integer.toString(rng.nextInt(2) * rng.nextInt(250));
            case "PoolArea": return pool ? Integer.toString(400 + rng.nextInt(300)) : "0";
            case "PoolQC": return pool ? pick(rng, "Ex", "Gd", "Fa") : "NA";
            case "Fence": return rng.nextInt(5) == 0 ? pick(rng, "MnPrv", "GdWo", "GdPrv", "MnWw") : "NA";
            case "MiscFeature": return rng.nextInt(27) == 0 ? pick(rng, "Shed", "Gar2", "Othr") : "NA";
            case "MoSold": return Integer.toString(1 + rng.nextInt(12));
            case "YrSold": return Integer.toString(2006 + rng.nextInt(5));
            case "Electrical": return rng.nextInt(1000) == 0 ? "NA" : pick(rng, "SBrkr", "SBrkr", "FuseA", "FuseF");
            default: return pick(rng, OTHER.getOrDefault(column, new String[] {"A", "B"}));
        }
    }

    private static final java.util.Map<String, String[]> OTHER = java.util.Map.ofEntries(
            java.util.Map.entry("LotShape", new String[] {"Reg", "IR1", "IR2", "IR3"}),
            java.util.Map.entry("LandContour", new String[] {"Lvl", "Bnk", "HLS", "Low"}),
            java.util.Map.entry("Utilities", new String[] {"AllPub"}),
            java.util.Map.entry("LotConfig", new String[] {"Inside", "Corner", "CulDSac", "FR2"}),
            java.util.Map.entry("LandSlope", new String[] {"Gtl", "Mod", "Sev"}),
            java.util.Map.entry("Condition1", new String[] {"Norm", "Feedr", "Artery", "RRAn", "PosN"}),
            java.util.Map.entry("Condition2", new String[] {"Norm"}),
            java.util.Map.entry("BldgType", new String[] {"1Fam", "TwnhsE", "Duplex", "Twnhs", "2fmCon"}),
            java.util.Map.entry("HouseStyle", new String[] {"1Story", "2Story", "1.5Fin", "SLvl", "SFoyer"}),
            java.util.Map.entry("RoofStyle", new String[] {"Gable", "Hip", "Flat"}),
            java.util.Map.entry("RoofMatl", new String[] {"CompShg", "Tar&Grv", "WdShngl"}),
            java.util.Map.entry("Exterior1st", new String[] {"VinylSd", "HdBoard", "MetalSd", "Wd Sdng", "Plywood"}),
            java.util.Map.entry("Exterior2nd", new String[] {"VinylSd", "HdBoard", "MetalSd", "Wd Sdng", "Plywood"}),
            java.util.Map.entry("Foundation", new String[] {"PConc", "CBlock", "BrkTil", "Slab"}),
            java.util.Map.entry("Heating", new String[] {"GasA", "GasW", "Grav"}),
            java.util.Map.entry("CentralAir", new String[] {"Y", "Y", "Y", "N"}),
            java.util.Map.entry("Functional", new String[] {"Typ", "Typ", "Min1", "Min2", "Mod"}),
            java.util.Map.entry("PavedDrive", new String[] {"Y", "N", "P"}),
            java.util.Map.entry("SaleType", new String[] {"WD", "New", "COD", "ConLD"}),
            java.util.Map.entry("SaleCondition", new String[] {"Normal", "Partial", "Abnorml", "Family"}));

    private static String pick(SplittableRandom rng, String... values) {
        return values[rng.nextInt(values.length)];
    }

    /** For messages: the number of columns of the training file (81: Id, 79 features, SalePrice). */
    public static int trainColumns() {
        return COLUMNS.length + 2;
    }
}
